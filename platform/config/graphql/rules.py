"""Validation rules added to GraphQL's standard ones."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    class AliasLimit(ValidationRule):
        """Refuses documents with more than ``max_aliases`` aliases (alias amplification)."""

        def __init__(self, context: Any) -> None:
            super().__init__(context)
            self.aliases = 0

        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            if node.alias is not None:
                self.aliases += 1
                if self.aliases == max_aliases + 1:
                    self.report_error(
                        GraphQLError(f"Too many aliases (at most {max_aliases}).", node)
                    )

    return AliasLimit


class NoSchemaIntrospection(ValidationRule):
    """Refuses ``__schema`` and ``__type`` (graphene's own rule also refuses
    ``__typename``, which clients need to tell types apart)."""

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        if node.name.value in {"__schema", "__type"}:
            self.report_error(GraphQLError("GraphQL introspection is disabled.", node))


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        """Refuses operations nested deeper than ``max_depth`` fields (fragments followed;
        a fragment cycle is left to the standard NoFragmentCycles rule, not recursed)."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            depth = _depth(node.selection_set, fragments, frozenset())
            if depth > max_depth:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}.", node)
                )

    return DepthLimit


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    visiting: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, visiting))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, visiting))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in visiting:
                deepest = max(deepest, _depth(fragment.selection_set, fragments, visiting | {name}))
    return deepest

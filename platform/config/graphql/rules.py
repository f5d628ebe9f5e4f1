"""Validation rules added to GraphQL's standard ones."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, GraphQLError, ValidationRule


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

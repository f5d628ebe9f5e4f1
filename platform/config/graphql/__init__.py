"""The one GraphQL schema (root composed from each app's queries) and its hardened view."""

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """A district's workspace shell: home page and navigation. No models."""

    name = "apps.workspace"
    label = "workspace"
    verbose_name = "Workspace"

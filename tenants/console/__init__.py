"""The platform admins' console on the platform's own host (``/console/``): districts with
their usage, onboarding, lifecycle, invitations, domains and the activity log. See
README.md in this folder."""

from tenants.management.commands._district_status import DistrictStatusCommand
from tenants.services.lifecycle import district_suspend


class Command(DistrictStatusCommand):
    help = "Suspend a district: its workspace becomes read-only, with a banner."
    action = staticmethod(district_suspend)
    done_message = "{name} suspended: the workspace is read-only."

from tenants.management.commands._district_status import DistrictStatusCommand
from tenants.services.lifecycle import district_reactivate


class Command(DistrictStatusCommand):
    help = "Reactivate a suspended or archived district."
    action = staticmethod(district_reactivate)
    done_message = "{name} is active again."

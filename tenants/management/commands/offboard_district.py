from tenants.management.commands._district_status import DistrictStatusCommand
from tenants.services.lifecycle import district_archive


class Command(DistrictStatusCommand):
    help = "Archive a district: its workspace answers 410 Gone; its schema and data are kept."
    action = staticmethod(district_archive)
    done_message = "{name} archived: the workspace is closed (410); its data is kept."

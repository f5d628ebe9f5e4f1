# English pages in Peru keep the Peruvian formats.
from config.formats.es.formats import *  # noqa: F403

# A month as in "Jan 2026".
YEAR_MONTH_FORMAT = "M Y"

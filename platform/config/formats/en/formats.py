# English pages in Peru keep the Peruvian formats.
from config.formats.es.formats import *  # noqa: F403

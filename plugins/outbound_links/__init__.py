from .outbound_links import *  # noqa: F401,F403

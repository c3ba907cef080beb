from .sitemap import *  # noqa: F401,F403

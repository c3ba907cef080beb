from .search import *  # noqa: F401,F403

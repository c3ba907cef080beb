from .feeds import *  # noqa: F401,F403

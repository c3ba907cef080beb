from .agenda import *  # noqa: F401,F403

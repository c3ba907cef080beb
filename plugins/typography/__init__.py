from .typography import *  # noqa: F401,F403

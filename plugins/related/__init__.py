from .related import *  # noqa: F401,F403

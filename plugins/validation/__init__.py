from .validation import *  # noqa: F401,F403

from .sanitize import *  # noqa: F401,F403

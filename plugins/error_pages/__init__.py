from .error_pages import *  # noqa: F401,F403

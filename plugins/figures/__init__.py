from .figures import *  # noqa: F401,F403

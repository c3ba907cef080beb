from .github_pages import *  # noqa: F401,F403

from .fastbuild import *  # noqa: F401,F403

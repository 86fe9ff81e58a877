"""The application layer: the one door every surface goes through (the Qt app, the ``desk``
command, case import and day packs, and any future web surface). ``counter`` holds the
counter's use cases, ``review`` the supervisor's; each call is one unit of work done by the
signed-in actor. Nothing here knows about a screen."""

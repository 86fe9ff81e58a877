"""The after-care screens' door into ``desk`` is the application layer's
(``desk.app.aftercare``); widgets import it from here."""
from desk.app.aftercare import Aftercare

__all__ = ["Aftercare"]

"""Sub-commands of ``desk``: each module adds its own parsers with a ``register`` function."""
from desk.commands import cases, db, printing, setup, staff, trust

REGISTRY = [setup.register, staff.register, cases.register, db.register, trust.register,
            printing.register]

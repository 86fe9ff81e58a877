"""Sub-commands of ``desk``: each module adds its own parsers with a ``register`` function."""
from desk.commands import (aftercare, approvals, batch, cases, db, finance, lexicon, malls,
                           policy, printing, promises, replies, review, search, setup, staff,
                           trust)

REGISTRY = [setup.register, staff.register, cases.register, db.register, trust.register,
            printing.register, review.register, aftercare.register,
            approvals.register, policy.register, malls.register, replies.register,
            promises.register, batch.register, finance.register, lexicon.register,
            search.register]

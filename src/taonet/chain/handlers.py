"""
Every call handler, imported once so that they register with :mod:`.dispatch`.

Importing this module is what ``construct_runtime!`` does for a Substrate runtime: it decides
which pallets (here, modules of handlers) the chain has.
"""

from __future__ import annotations

from .accounts import balances, identity  # noqa: F401
from .commitments import set_commitment  # noqa: F401
from .governance import senate, sudo, triumvirate  # noqa: F401
from .root import registration as root_registration, weights as root_weights  # noqa: F401
from .staking import children, delegation, stake  # noqa: F401
from .subnets import funding, hyperparams, network, registration, serving, weights  # noqa: F401
from .swap import keyswap  # noqa: F401

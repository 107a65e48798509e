"""zjkg: the Report on the Work of the Government 2021 of Zhejiang Province as linked data.

``zjkg.query(name, **params)`` runs a canned query and ``zjkg.query_frame(...)`` returns it
as a pandas DataFrame. Both load on first use, so ``import zjkg`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Lazy attributes: name -> (module, attribute; None for the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    # zjkg.query is both a module and, being callable, the function zjkg.query.query
    "query": ("zjkg.query", None),
    "query_frame": ("zjkg.query", "query_frame"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'zjkg' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])

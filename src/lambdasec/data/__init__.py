"""Dated data files shipped with lambdasec (runtime lifecycle, ...), loaded on first use."""

from __future__ import annotations

import json
import pkgutil
from functools import cached_property
from typing import Any

from lambdasec.data.lambda_prices import LambdaPrices
from lambdasec.data.runtimes import RuntimeCatalog
from lambdasec.data.service_principals import ServicePrincipalCatalog

__all__ = ["DataFiles"]


class DataFiles:
    """Access to the package's data files; rules receive one through their context."""

    def load_json(self, name: str) -> Any:
        """Parse `lambdasec/data/<name>`."""
        # Read through the package's loader (a directory or a zip alike), as importlib.resources would,
        # without importing it: with zipfile, tempfile and random it costs about 5 ms at start-up.
        data = pkgutil.get_data(__name__, name)
        if data is None:  # only for a loader that cannot read files, which lambdasec is never installed with
            raise FileNotFoundError(f"lambdasec/data/{name}")
        return json.loads(data.decode("utf-8"))

    @cached_property
    def raw_runtimes(self) -> Any:
        """The runtime lifecycle table as stored."""
        return self.load_json("runtimes.json")

    @cached_property
    def runtimes(self) -> RuntimeCatalog:
        """The runtime lifecycle catalog."""
        return RuntimeCatalog.from_json(self.raw_runtimes)

    @cached_property
    def service_principals(self) -> ServicePrincipalCatalog:
        """Which condition each AWS service principal's invoke grant needs (confused-deputy protection)."""
        return ServicePrincipalCatalog.from_json(self.load_json("service_principals.json"))

    @cached_property
    def lambda_prices(self) -> LambdaPrices:
        """Lambda on-demand prices per architecture (GB-second and request), dated."""
        return LambdaPrices.from_json(self.load_json("lambda_prices.json"))

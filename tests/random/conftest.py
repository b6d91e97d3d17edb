"""One random API server per test module (it keeps no state), as ``netsandbox serve random``."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ServiceProcess, launch, wait_for_ready


@pytest.fixture(scope="module")
def random_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    folder = tmp_path_factory.mktemp("random")
    log = folder / "random.log"
    command = [
        sys.executable, "-m", "netsandbox", "serve", "random",
        "--port", "0", "--data-dir", str(folder / "data"), "--idle-timeout", "5",
    ]  # fmt: skip
    process = launch(command, log)
    host, port = wait_for_ready(process, log).group(2, 3)
    yield ServiceProcess("random", host, int(port), process, log, folder / "data")
    process.kill()
    process.wait()


@pytest.fixture
def base(random_api: ServiceProcess) -> str:
    return f"http://{random_api.host}:{random_api.port}"

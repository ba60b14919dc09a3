"""Property-based API tests: schemathesis generates requests from /openapi.json, all in process (ASGI).

Bounded to 20 examples per operation. Every answer must be no 5xx, be
documented (status code, content type) and match its response schema.
The app is built at import time because schemathesis parametrizes then.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from conftest_web import build_web_db
from newsloom.web.app import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
_FOLDER = tempfile.mkdtemp(prefix="newsloom-schema-")
atexit.register(shutil.rmtree, _FOLDER, True)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(build_web_db(Path(_FOLDER) / "web.db")))


@schema.parametrize()
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_fail_the_server_or_the_schema(case):
    case.call_and_validate(checks=CHECKS)

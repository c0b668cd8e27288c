"""Our static files, and the vendored editor with a clear message when it is not installed.

WHY a separate route for ``/static/vendor``: the YASGUI files are installed by
``scripts/install-ui-assets`` (npm, pinned by ``ui/package-lock.json``) into a git-ignored
folder; when they are missing, the answer must say how to install them rather than a bare 404.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles

from rcm_graph.web.errors import error_response
from rcm_graph.web.ui.rendering import STATIC_DIR

VENDOR_DIR = STATIC_DIR / "vendor"
INSTALL_HINT = "run `bash scripts/install-ui-assets` in the rcm-graph checkout (needs npm)"


def install_assets(app: FastAPI) -> None:
    @app.get("/static/vendor/{path:path}", include_in_schema=False)
    def vendor(request: Request, path: str) -> Response:
        """A vendored front-end file, or a 404 that says how to install the editor."""
        root = VENDOR_DIR.resolve()
        target = (VENDOR_DIR / path).resolve()
        if target.is_relative_to(root) and target.is_file() and not target.name.startswith("."):
            return FileResponse(target)  # Cache-Control: rcm_graph.web.http_cache
        return error_response(
            404,
            f"the front-end file {path!r} is not installed",
            where=request.url.path,
            hint=INSTALL_HINT,
        )

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

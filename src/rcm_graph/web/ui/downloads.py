"""The downloads page: the dump files of the current build, their SHA-256 checksums and licence.

Only files listed in the build's manifest are served (by name, never by path), so nothing else
of the data directory is reachable. Checksums come from the manifest, which the build computed.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from rcm_graph.errors import RcmGraphError
from rcm_graph.web.ui.conneg import HTML, RdfFormat, negotiate
from rcm_graph.web.ui.rendering import DATA_LICENCE, DATA_LICENCE_URL, render
from rcm_graph.web.ui.state import UiState, ui_error

_TYPES = (
    (".nq.gz", "application/gzip"),
    (".gz", "application/gzip"),
    (".nq", "application/n-quads"),
    (".trig", "application/trig"),
    (".ttl", "text/turtle"),
    (".nt", "application/n-triples"),
    (".jsonld", "application/ld+json"),
    (".rdf", "application/rdf+xml"),
    (".json", "application/json"),
    (".csv", "text/csv"),
)
CHECKSUMS = "SHA256SUMS"
LISTING_JSON = RdfFormat("json", "application/json", ".json", "", "JSON")


def media_type_of(name: str) -> str:
    return next((t for ext, t in _TYPES if name.endswith(ext)), "application/octet-stream")


def _files(ui: UiState) -> tuple[list[dict[str, object]], str]:
    dataset = ui.context.dataset()
    files = [
        {
            "name": name,
            "bytes": int(entry.get("bytes", 0)),
            "sha256": str(entry.get("sha256", "")),
            "media_type": media_type_of(name),
            "url": f"/downloads/{name}",
        }
        for name, entry in sorted(dataset.manifest.get("files", {}).items())
    ]
    return files, dataset.build_id


def dataset_triples(ui: UiState) -> int | None:
    """The build's triple count as its manifest states it (``rcm_graph.store.void.union_triples``,
    the same figure as ``void:triples``); None for a build made before the manifest had it."""
    value = ui.context.dataset().manifest.get("triples")
    return value if isinstance(value, int) else None


def install_downloads(app: FastAPI, ui: UiState) -> None:
    @app.get("/downloads", include_in_schema=False)
    def downloads(request: Request) -> Response:
        """The list of dumps: HTML for browsers, JSON for programs."""
        fmt = negotiate(request.headers.get("accept"), (HTML, LISTING_JSON))
        files, build_id = _files(ui)
        triples = dataset_triples(ui)
        if fmt is not HTML:
            return JSONResponse(
                {
                    "build_id": build_id,
                    "license": DATA_LICENCE_URL,
                    "triples": triples,
                    "files": files,
                },
                headers={"Vary": "Accept"},
            )
        return render(
            request,
            "downloads.html",
            {
                "files": files,
                "build_id": build_id,
                "licence_name": DATA_LICENCE,
                "triples": triples,
            },
            links=ui.links,
            headers={"Vary": "Accept"},
        )

    @app.get("/downloads/" + CHECKSUMS, include_in_schema=False)
    def checksums() -> Response:
        """``sha256sum -c`` input for the dumps of the current build (the build's own file
        when it wrote one, else made from the manifest)."""
        dataset = ui.context.dataset()
        if CHECKSUMS in dataset.manifest.get("files", {}):
            return FileResponse(dataset.file_path(CHECKSUMS), media_type="text/plain")
        files, _ = _files(ui)
        text = "".join(f"{f['sha256']}  {f['name']}\n" for f in files)
        return PlainTextResponse(text)

    @app.get("/downloads/{name}", include_in_schema=False)
    def download(request: Request, name: str) -> Response:
        """One dump file of the current build, by its name in the manifest."""
        try:
            path = ui.context.dataset().file_path(name)
        except RcmGraphError:
            return ui_error(
                request,
                ui,
                404,
                f"the current build has no file {name!r}",
                hint="see /downloads for the files of this build",
            )
        return FileResponse(
            path,
            media_type=media_type_of(name),
            filename=name,
            headers={"Link": f'<{DATA_LICENCE_URL}>; rel="license"'},
        )

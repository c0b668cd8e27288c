"""The floor: the cheapest possible FastAPI route, served like ours (uvicorn, 1 worker).

The issue's target for cheap queries is 0.7x this route's throughput on the same machine.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

app = FastAPI()


@app.get("/noop")
async def noop() -> Response:
    return Response(b'{"ok": true}', media_type="application/json")

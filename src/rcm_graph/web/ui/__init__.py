"""The researcher's web UI: linked-data pages, document pages, browse pages, the query editor.

``install(app, context)`` is called by :func:`rcm_graph.web.app.create_app`; it adds every route
of this package. The pages read the data only through the app's query backend (see
:mod:`.sparql_client`) and never import the extraction code.

Routes: ``/`` · ``/id/{path}`` (+ ``.ttl`` ``.jsonld`` ``.nt`` ``.rdf``) · ``/browse/{meetings,
states,objectives,commitments}`` · ``/query`` · ``/ontology`` · ``/shapes`` ·
``/.well-known/void`` · ``/downloads`` · ``/static`` · ``/labels`` · ``/search`` · the HTML
pages of ``/queries`` and ``/queries/{name}``.
"""

from __future__ import annotations

from fastapi import FastAPI

from rcm_graph.web.context import AppContext
from rcm_graph.web.ui.assets import install_assets
from rcm_graph.web.ui.browse import install_browse
from rcm_graph.web.ui.catalogue_pages import install_catalogue_pages
from rcm_graph.web.ui.downloads import install_downloads
from rcm_graph.web.ui.home import install_home
from rcm_graph.web.ui.labels import install_labels
from rcm_graph.web.ui.linked_data import install_linked_data
from rcm_graph.web.ui.ontology_pages import install_ontology
from rcm_graph.web.ui.query_page import install_query_page
from rcm_graph.web.ui.rendering import Links
from rcm_graph.web.ui.security import install_security_headers
from rcm_graph.web.ui.sparql_client import PageStore
from rcm_graph.web.ui.state import UiState
from rcm_graph.web.ui.void import install_void


def install(app: FastAPI, context: AppContext) -> None:
    """Add the UI routes and the HTML security headers to ``app``."""
    ui = UiState(
        context=context,
        store=PageStore(context.backend, context.settings),
        links=Links(context.settings.base_iri),
    )
    install_home(app, ui)
    install_linked_data(app, ui)
    install_browse(app, ui)
    install_query_page(app, ui)
    labels = install_labels(app, ui)
    app.state.ui_labels = labels  # rendering names things in the page's language with it
    install_catalogue_pages(app, ui, labels)
    install_ontology(app, ui)
    install_void(app, ui)
    install_downloads(app, ui)
    install_assets(app)
    install_security_headers(app)


__all__ = ["install"]

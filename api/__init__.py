"""The HTTP API: a SPARQL 1.1 Protocol endpoint and a query page over the store (docs/api.md).

app.py builds the FastAPI app from routers (sparql.py, page.py); queries run in worker processes
(engine.py, worker.py) under a time limit and a row limit; settings.py declares every setting once.
"""

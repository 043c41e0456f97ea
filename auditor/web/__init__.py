"""The self-check web service (``auditor serve``): upload a draft, get the audit in the browser.

Needs the ``web`` extra (FastAPI, uvicorn, python-multipart).
"""

"""The gateway's OpenAPI 3.1 document, built from the routes it actually serves.

Served at ``GET /openapi.json``; docs/gateway.md describes the same API in prose. The
document lists one path per served subnet (``/v1/subnets/<netuid>/<operation>``) with the
request schema of its kind, so a client generator sees exactly what this gateway accepts.
"""

from __future__ import annotations

from typing import Any

from .routing import MAX_TEXTS, Route

__all__ = ["openapi_document"]

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "examples": ["unknown_subnet"]},
        "message": {"type": "string"}}}},
}

REQUESTS: dict[str, dict[str, Any]] = {
    "embeddings": {"type": "object", "required": ["texts"], "properties": {
        "texts": {"type": "array", "minItems": 1, "maxItems": MAX_TEXTS, "items": {"type": "string", "maxLength": 4096}}}},
    "qa": {"type": "object", "required": ["question"], "properties": {"question": {"type": "string", "maxLength": 2048}}},
    "finetune": {"type": "object", "required": ["question", "options"], "properties": {
        "question": {"type": "string", "maxLength": 2048},
        "options": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "string"}}}},
}

RESULTS: dict[str, dict[str, Any]] = {
    "embeddings": {"type": "object", "properties": {
        "embeddings": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
        "dim": {"type": "integer"}}},
    "qa": {"type": "object", "properties": {"answer": {"type": "string"}, "agreement": {"type": "number"}}},
    "finetune": {"type": "object", "properties": {"index": {"type": "integer"}, "option": {"type": "string"},
                                                  "agreement": {"type": "number"}}},
}

SUMMARIES = {
    "embeddings": "Embed texts with the best-scoring of the top miners (text-embedding subnet)",
    "qa": "Answer a question by incentive-weighted agreement of the top miners (Q&A subnet)",
    "finetune": "Choose one of four options with the top fine-tuned models (fine-tuning subnet)",
}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Malformed request", 401: "Missing or unknown API key", 404: "Unknown subnet",
            429: "Rate limited (see Retry-After)", 503: "No miner serving", 504: "No miner answered in time"}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for c in codes}


def openapi_document(routes: list[Route]) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/v1/health": {"get": {"summary": "Liveness and the served subnets", "security": [],
                               "responses": {"200": {"description": "OK"}}}},
        "/v1/subnets": {"get": {"summary": "The served subnets and their current top miners",
                                "responses": {"200": {"description": "OK"}, **_errors(401, 429)}}},
    }
    for r in routes:
        result = {"type": "object", "properties": {
            "netuid": {"type": "integer"}, "kind": {"type": "string"}, "result": RESULTS[r.kind],
            "uid": {"type": "integer", "description": "the miner whose answer was returned"},
            "answered": {"type": "array", "items": {"type": "integer"}, "description": "uids that answered"},
            "queried": {"type": "array", "items": {"type": "integer"}},
            "latency_s": {"type": "number"}}}
        paths[f"/v1/subnets/{r.netuid}/{r.operation}"] = {"post": {
            "summary": SUMMARIES[r.kind],
            "requestBody": {"required": True, "content": {"application/json": {"schema": REQUESTS[r.kind]}}},
            "responses": {"200": {"description": "The chosen answer",
                                  "content": {"application/json": {"schema": result}}},
                          **_errors(400, 401, 404, 429, 503, 504)},
        }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "taonet application gateway", "version": "1",
                 "description": "Send a request to a subnet; a validator-side router queries the top miners by "
                                "incentive and returns the best answer by its own scoring, with the uids that answered."},
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        },
        "security": [{"bearer": []}, {"apiKey": []}],
    }

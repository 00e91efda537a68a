"""The OpenAPI 3 document at /api/v1/openapi.json, built from the code: every route of the
blueprint, its parameters and the marshmallow schema its answer is dumped through (apispec turns
the schemas into JSON Schema), plus the answers every route may give (304, 400, 401, 404, 429)."""

import re
from collections.abc import Callable

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, url_for

from blog.api import schemas
from blog.api.blueprint import bp, respond

DOC = "__api_doc__"
ERRORS = {
    "400": "The parameters do not make sense together",
    "401": "The blog is private: sign in, or send a member's token",
    "404": "No such thing, or no such page",
    "429": "Too many requests from this address",
}


def documented(schema: type, summary: str, *parameters: dict) -> Callable:
    """Note what a view answers with, for the document."""

    def mark(view: Callable) -> Callable:
        setattr(view, DOC, {"schema": schema, "summary": summary, "parameters": list(parameters)})
        return view

    return mark


def openapi_path(rule: str) -> str:
    """/api/v1/posts/<int:post_id> -> /posts/{post_id} (relative to the server URL)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.removeprefix(bp.url_prefix))


def build_spec() -> dict:
    spec = APISpec(
        title="Blog content API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Read-only JSON of what a signed-out reader may see. On a private blog, "
            "members read it with their personal token (Authorization: Bearer, or ?token=)."
        },
        servers=[{"url": url_for("api.posts", _external=True).removesuffix("/posts")}],
    )
    spec.components.schema("Error", schema=schemas.Error)
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    error = {"content": {"application/json": {"schema": "Error"}}}
    for response_code, description in ERRORS.items():
        spec.components.response(f"E{response_code}", {"description": description, **error})
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = getattr(current_app.view_functions[rule.endpoint], DOC, None)
        if not rule.endpoint.startswith("api.") or doc is None:
            continue
        name = doc["schema"].__name__
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=doc["schema"])
        responses = {
            "200": {
                "description": doc["summary"],
                "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": name}},
            },
            "304": {"description": "Not modified: the ETag sent in If-None-Match still holds"},
        }
        responses |= {code: f"E{code}" for code in ERRORS}
        operation = {
            "operationId": rule.endpoint.removeprefix("api."),
            "summary": doc["summary"],
            "parameters": doc["parameters"],
            "responses": responses,
            "security": [{}, {"token": []}],
        }
        spec.path(path=openapi_path(rule.rule), operations={"get": operation})
    return spec.to_dict()


@bp.get("/openapi.json")
def document():
    """This API described as OpenAPI 3."""
    return respond(build_spec())

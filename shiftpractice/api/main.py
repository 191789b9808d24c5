"""The API at /api/v1/: one django-ninja instance, its routers, authentication, rate limit and problems."""

from ninja import NinjaAPI

from . import problems
from .auth import session_auth, token_auth
from .endpoints import measures, people, programmes, projects, spc
from .problems import MEDIA_TYPE, Problem
from .throttling import TokenRateThrottle

DESCRIPTION = """
The shiftpractice REST API. Authenticate with a personal access token made on your profile
(`Authorization: Bearer sp_...`); a token that may only read cannot change anything. Everything you can see
and change here follows the same rules as the pages: nothing more.

Lists are paged with a cursor: pass a page's `next` as `cursor` for the following page. Errors are problem
details (RFC 9457, `application/problem+json`). Each token may make a limited number of requests a minute;
past it the answer is 429 with `Retry-After`. See docs/api.md.
"""

COMMON_PROBLEMS = {
    "401": "No token, or a token that is wrong, expired or revoked.",
    "403": "You may read this but not change it, or the token may only read.",
    "404": "Not there, or not yours to see.",
    "429": "Too many requests with this token: wait for Retry-After seconds.",
}


class API(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema, saying what every error looks like: problems are ``application/problem+json``, and
        every operation may answer 401, 404, 422 and 429 (403 when it changes something, 400 when it reads a
        body)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                # Status codes as strings, as OpenAPI writes them (ninja's are ints: one key each, not two).
                responses = {str(code): response for code, response in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for response in responses.values():
                    content = response.get("content", {})
                    if content.get("application/json", {}).get("schema") == ref:
                        response["content"] = {MEDIA_TYPE: {"schema": ref}}
                for status, text in COMMON_PROBLEMS.items():
                    if status == "403" and method == "get":
                        continue
                    responses.setdefault(
                        status, {"description": text, "content": {MEDIA_TYPE: {"schema": ref}}}
                    )
                if "requestBody" in operation:
                    responses.setdefault(
                        "400",
                        {
                            "description": "The body could not be read as JSON.",
                            "content": {MEDIA_TYPE: {"schema": ref}},
                        },
                    )
                responses.setdefault(
                    "422",
                    {"description": "The request is not valid.", "content": {MEDIA_TYPE: {"schema": ref}}},
                )
        return schema


api = API(
    title="shiftpractice API",
    version="1.0.0",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    docs_url=None,  # our own page (views.docs): the assets come from npm, no inline script
    auth=[token_auth, session_auth],
    throttle=TokenRateThrottle(),
)
problems.install(api)

for module in (people, programmes, projects, measures, spc):
    api.add_router("", module.router)

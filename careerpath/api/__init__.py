"""The JSON API (django-ninja), mounted at /api/v1/: a learner's standing, results and roadmap, the
roadmap's steps changed, a mentor's mentees.

- ``site``: the API itself, its errors as JSON, its OpenAPI schema.
- ``access``: who a request is (a bearer token), what the token allows, how often.
- ``learner`` (/me/...) and ``mentor`` (/mentor/...): the endpoints, each calling the rule the pages
  call, with the pages' access checks.
- ``standings``, ``roadmaps``, ``schemas``: the shapes of what the API answers and accepts.
"""

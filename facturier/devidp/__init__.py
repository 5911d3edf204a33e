"""A small but real OpenID Connect provider standing in for ComptExpert.

Mounted at ``/dev-idp/`` only when ``settings.DEV_IDP_ENABLED`` (``FACTURIER_DEV_IDP=1``;
on by default under pytest). It offers the people of ``people.PEOPLE`` on its sign-in
page and knows one client, the platform itself: ``OIDC_CLIENT_ID`` /
``OIDC_CLIENT_SECRET``, redirect URI ``BASE_URL`` + the SSO callback. Its issuer is
``BASE_URL + "/dev-idp"``, which is where the platform looks when ``OIDC_ISSUER`` is
empty. The RS256 signing key is kept in ``DATA_DIR/dev-idp/signing-key.json``.
"""

"""Opening an emailed link as a browser does."""

from urllib.parse import urlsplit


def opened(client, link: str) -> str:
    """GET the tokened link: it must redirect to a URL without the token (the token moves into the
    session). Returns that clean URL, which the client's session can now use."""
    path = urlsplit(link).path
    token = path.rstrip("/").rsplit("/", 1)[-1]
    response = client.get(path)
    assert response.status_code == 302, response.status_code
    assert token not in response.url
    return response.url

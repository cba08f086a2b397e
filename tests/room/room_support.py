"""Shared by the room tests: a visitor as the domain sees them, and the page's XHR posts."""

from django.test import Client

from asking.participants import Participant, user_key


def as_participant(user):
    return Participant(user_key(user), user, "127.0.0.1")


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def xhr(client, url, data=None, **headers):
    return client.post(url, data or {}, HTTP_X_REQUESTED_WITH="XMLHttpRequest", **headers)

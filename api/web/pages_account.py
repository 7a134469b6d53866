"""修改密码: an account changes its own password from the console (its account menu).

The same application method as the API's ``POST /api/me/password``: the current password
is asked for (a wrong one counts toward the sign-in pause), the change is an audited event.
No password is ever shown again on a refused form.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from api.web.forms import Form
from api.web.messages import refusal
from api.web.posting import form_route
from api.web.rendering import render, services_of
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.accounts import MIN_PASSWORD_LENGTH
from application.errors import SignInLocked
from domain.errors import DomainError
from infrastructure.container import Container

router = APIRouter(route_class=WebRoute, include_in_schema=False)

LABELS: Final = {
    "current_password": "当前密码",
    "new_password": "新密码",
    "new_password_again": "再次输入新密码",
}


def _page(request: Request, form: Form, *, status: int = 200, done: bool = False) -> Response:
    lifetime = services_of(request).signer.lifetime
    return render(
        request,
        "password.html",
        status=status,
        form=form,
        done=done,
        min_length=MIN_PASSWORD_LENGTH,
        session_minutes=int(lifetime.total_seconds() // 60),
    )


@router.get("/account/password")
def password_form(request: Request, user: UserDep) -> Response:
    return _page(request, Form("password"))


@form_route(router, "/account/password")
def _change(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    form = Form.of("password", data)
    current, new, again = (form.secret(key, label) for key, label in LABELS.items())
    for key in LABELS:
        form.values.pop(key, None)  # a password is never written back into a page
    if form.ok and new != again:
        form.error("new_password_again", "两次输入的新密码不一致，请重新输入。")
    if not form.ok:
        return _page(request, form, status=422)
    try:
        container.app.change_own_password(user.caller(), current=current, new=new)
    except (DomainError, SignInLocked) as exc:
        failure = refusal(exc, LABELS)
        assert failure is not None
        form.refuse(failure)
        if failure.field in LABELS:
            form.error(failure.field, failure.message)
        return _page(request, form, status=failure.status)
    return _page(request, Form("password"), done=True)

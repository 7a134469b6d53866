"""Account management and sign-in: role grants are audited events, hashes stay outside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from math import ceil
from typing import NoReturn
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.commanding import Command, CommandingApp, CommandResult
from application.errors import AuthenticationFailed, ConcurrentWrite, NotFound, SignInLocked
from application.ports import Credentials
from application.principal import Caller, Grant, Principal
from domain.account import Account
from domain.errors import InvalidInput, InvalidTransition
from domain.recording import Actor, recording

MIN_PASSWORD_LENGTH = 4


@dataclass(frozen=True)
class SignInRule:
    """How many wrong passwords in a row pause an account's sign-in, and for how long."""

    max_failures: int = 5
    pause: timedelta = timedelta(minutes=15)


def check_password_strength(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"{field} must be at least {MIN_PASSWORD_LENGTH} characters", field=field
        )


def principal_of(account: Account) -> Principal:
    return Principal(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        grants=tuple(Grant(role=g["role"], unit=g["unit"]) for g in account.grants),
    )


def own_actor(principal: Principal) -> Actor:
    """The actor an account records when it acts for itself (signing in)."""
    if principal.grants:
        return principal.actor(principal.grants[0])
    return Actor(id=str(principal.account_id), name=principal.display_name, role="", unit="")


class KnownPrincipals:
    """Callers recently authenticated, each with the version of the account it was built from.

    One is answered only while its account has no event after that version, so a disabled
    account, a changed role or anything else recorded on the account takes effect on the very
    next request, in every process.
    """

    def __init__(self, maxsize: int = 10_000) -> None:
        self.maxsize = maxsize
        self._known: dict[UUID, tuple[int, Principal]] = {}

    def get(self, account_id: UUID) -> tuple[int, Principal] | None:
        return self._known.get(account_id)

    def put(self, account_id: UUID, version: int, principal: Principal) -> None:
        if len(self._known) >= self.maxsize:
            self._known.clear()
        self._known[account_id] = (version, principal)


class AccountCommands(CommandingApp):
    sign_in_rule = SignInRule()  # the settings' own, where the application is built

    credentials: Credentials
    known_principals: KnownPrincipals

    def active_account(self, account_id: UUID) -> Account:
        """An account that may act; a disabled or unknown one fails authentication."""
        try:
            account: object = self.repository.get(account_id)
        except AggregateNotFoundError:
            raise AuthenticationFailed("unknown account") from None
        if not isinstance(account, Account) or account.disabled:
            raise AuthenticationFailed("account is disabled or unknown")
        return account

    def principal(self, account_id: UUID) -> Principal:
        """The account as a caller; a disabled or unknown account cannot act.

        Built again only when the account has changed since it was last built here: asking
        that reads the account's newest events (usually none), no snapshot and no replay.
        """
        known = self.known_principals.get(account_id)
        if known is not None and self._unchanged_since(account_id, known[0]):
            return known[1]
        account = self.active_account(account_id)
        principal = principal_of(account)
        self.known_principals.put(account_id, account.version, principal)
        return principal

    def _unchanged_since(self, aggregate_id: UUID, version: int) -> bool:
        return next(iter(self.events.get(aggregate_id, gt=version, limit=1)), None) is None

    def authenticate(self, username: str, password: str) -> Principal:
        account_id = Account.create_id(username)
        try:
            principal = self.principal(account_id)
        except AuthenticationFailed:
            self.credentials.check_password(account_id, password)  # same cost either way
            raise AuthenticationFailed("wrong username or password") from None
        if not self.credentials.check_password(account_id, password):
            raise AuthenticationFailed("wrong username or password")
        return principal

    def log_in(self, username: str, password: str, *, request_id: str) -> Principal:
        """Check the password and record the sign-in (an audited ``LoggedIn`` event).

        After ``sign_in_rule.max_failures`` wrong passwords in a row the account's sign-in
        pauses, the right password included, until ``sign_in_rule.pause`` has passed since
        the last one; then the count starts again, and a sign-in clears it. A username that
        names no account counts alike, so the answers tell nobody which accounts exist."""
        account_id = Account.create_id(username)
        self._count_attempt(account_id)
        principal = self.authenticate(username, password)
        self.credentials.clear_failed_sign_ins(account_id)
        self._for_itself(principal, request_id, lambda a: a.log_in(method="password"))
        return principal

    def change_own_password(self, caller: Caller, *, current: str, new: str) -> None:
        """An account changes its own password, giving the current one: a wrong one counts
        toward the sign-in pause as at sign-in (and is refused while it lasts), and the change
        is an audited ``PasswordChanged`` event, as an administrator's reset is."""
        principal = caller.principal
        self._count_attempt(principal.account_id)
        if not self.credentials.check_password(principal.account_id, current):
            raise InvalidInput("the current password is wrong", field="current_password")
        self.credentials.clear_failed_sign_ins(principal.account_id)
        check_password_strength(new, field="new_password")
        if new == current:
            raise InvalidInput("the new password is the current one", field="new_password")
        self._for_itself(
            principal, caller.request_id, lambda a: a.note_password_changed(reset_by_admin=False)
        )
        self.credentials.set_password(principal.account_id, new)

    def _for_itself(
        self, principal: Principal, request_id: str, act: Callable[[Account], None]
    ) -> None:
        """Record what an account does for itself (signing in, its own password) as itself."""
        for _attempt in range(3):
            account = self.active_account(principal.account_id)
            with recording(own_actor(principal), request_id=request_id, now=self.clock.now()):
                act(account)
            try:
                self.save(account)
            except IntegrityError:
                continue  # another sign-in of the same account at the same moment
            return
        raise ConcurrentWrite("the account changed at the same moment; try again")

    def _count_attempt(self, account_id: UUID) -> None:
        """Refuse while the account's sign-in is paused; else count this attempt as failed
        until the password proves right (so a burst of parallel guesses is counted, each)."""
        rule, now = self.sign_in_rule, self.clock.now()
        failures, last = self.credentials.failed_sign_ins(account_id)
        if failures >= rule.max_failures and last is not None and last + rule.pause > now:
            self._paused(failures, (last + rule.pause - now).total_seconds())
        counted = self.credentials.count_sign_in_attempt(account_id, now, since=now - rule.pause)
        if counted > rule.max_failures:
            self._paused(counted - 1, rule.pause.total_seconds())

    @staticmethod
    def _paused(failures: int, seconds: float) -> NoReturn:
        raise SignInLocked(
            f"{failures} wrong passwords in a row: signing in to this account is paused "
            f"for {ceil(seconds / 60)} more minute(s)",
            retry_after=ceil(seconds),
        )

    def account_exists(self, username: str) -> bool:
        try:
            self.repository.get(Account.create_id(username))
        except AggregateNotFoundError:
            return False
        return True

    def create_account(
        self,
        caller: Caller,
        *,
        username: str,
        display_name: str,
        password: str,
        grants: list[tuple[str, str]],
    ) -> CommandResult:
        args = {"username": username, "display_name": display_name, "grants": grants}

        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_accounts")
            check_password_strength(password)
            if self.account_exists(username):
                raise InvalidInput(f"username {username!r} is taken", field="username")
            account = Account.register(username=username, display_name=display_name)
            for n, (role, unit) in enumerate(grants):
                self.campaign.check_grant(role, unit, field=f"grants[{n}].")
                if (role, unit) in grants[:n]:  # one request, not a state to conflict with
                    raise InvalidInput(
                        f"grants[{n}]: {role} at {unit} is listed twice", field=f"grants[{n}]"
                    )
                account.grant(role=role, unit=unit)
            account.note_password_changed(reset_by_admin=True)
            return cmd.done(account, result_of=account)

        result = self.execute(caller, "create_account", args, change)
        self.credentials.set_password(result.id, password)
        return result

    def _on_account(
        self, caller: Caller, name: str, account_id: UUID, act: object, args: dict[str, object]
    ) -> CommandResult:
        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_accounts")
            account = self.load(Account, account_id)
            act(account)  # type: ignore[operator]
            return cmd.done(account, result_of=account)

        return self.execute(caller, name, {"account_id": account_id, **args}, change)

    def grant_role(
        self, caller: Caller, account_id: UUID, *, role: str, unit: str
    ) -> CommandResult:
        def grant(account: Account) -> None:
            self.campaign.check_grant(role, unit)
            account.grant(role=role, unit=unit)

        return self._on_account(
            caller,
            "grant_role",
            account_id,
            grant,
            {"role": role, "unit": unit},
        )

    def revoke_role(
        self, caller: Caller, account_id: UUID, *, role: str, unit: str
    ) -> CommandResult:
        def revoke(account: Account) -> None:
            if role == "admin":
                _not_oneself(caller, account, "revoke their own admin role")
            account.revoke(role=role, unit=unit)

        return self._on_account(
            caller, "revoke_role", account_id, revoke, {"role": role, "unit": unit}
        )

    def disable_account(self, caller: Caller, account_id: UUID, *, reason: str) -> CommandResult:
        def disable(account: Account) -> None:
            _not_oneself(caller, account, "disable their own account")
            account.disable(reason=reason)

        return self._on_account(caller, "disable_account", account_id, disable, {"reason": reason})

    def enable_account(self, caller: Caller, account_id: UUID, *, reason: str) -> CommandResult:
        return self._on_account(
            caller,
            "enable_account",
            account_id,
            lambda a: a.enable(reason=reason),
            {"reason": reason},
        )

    def reset_password(self, caller: Caller, account_id: UUID, *, password: str) -> CommandResult:
        check_password_strength(password)
        result = self._on_account(
            caller,
            "reset_password",
            account_id,
            lambda a: a.note_password_changed(reset_by_admin=True),
            {},
        )
        self.credentials.set_password(account_id, password)
        self.credentials.clear_failed_sign_ins(account_id)  # a paused sign-in opens again
        return result

    def get_account(self, caller: Caller, account_id: UUID) -> Account:
        self.policy.authorize(caller.principal, "read_accounts", None)
        try:
            return self.load(Account, account_id)
        except NotFound:
            raise NotFound(f"no account {account_id}") from None


def _not_oneself(caller: Caller, account: Account, what: str) -> None:
    """An administrator never locks themself out: another administrator does it, so there
    is always one left who can undo it."""
    if account.id == caller.principal.account_id:
        raise InvalidTransition(f"an administrator cannot {what}: another administrator must")

"""``createsuperuser`` that never creates a superuser with a weak password (issue 22).

Django's own command checks the password against AUTH_PASSWORD_VALIDATORS only when it asks for
it, and even then offers to bypass the check; with ``--noinput`` and DJANGO_SUPERUSER_PASSWORD it
does not check at all. This one checks in both modes and offers no bypass. (The register app
comes before django.contrib.auth in INSTALLED_APPS, so that this command is the one found.)
"""

from __future__ import annotations

import builtins
import os

from django.contrib.auth.management.commands import createsuperuser as django_command
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError

BYPASS_PROMPT = "Bypass password validation"
REFUSED = "Lösenordet duger inte: {}"


class Command(django_command.Command):
    def handle(self, *args, **options):
        if options["interactive"]:
            return self._without_bypass(*args, **options)
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if password is not None:
            self._validate(password, options)
        return super().handle(*args, **options)

    def _validate(self, password: str, options: dict) -> None:
        """Check the password the way the interactive mode does (the user's name and e-mail
        too, for the similarity check); refuse with the validators' own (Swedish) words."""
        fields = {}
        for name in (self.UserModel.USERNAME_FIELD, *self.UserModel.REQUIRED_FIELDS):
            value = options.get(name) or os.environ.get("DJANGO_SUPERUSER_" + name.upper())
            if value and not self.UserModel._meta.get_field(name).many_to_many:
                fields[name] = value
        try:
            validate_password(password, self.UserModel(**fields))
        except ValidationError as error:
            raise CommandError(REFUSED.format(" ".join(error.messages))) from error

    def _without_bypass(self, *args, **options):
        """Run Django's interactive mode with its "Bypass password validation?" always answered
        no: a weak password is asked for again."""

        def answer(prompt=""):
            if str(prompt).startswith(BYPASS_PROMPT):
                self.stderr.write("Välj ett annat lösenord (minst 12 tecken).")
                return "n"
            return builtins.input(prompt)

        django_command.input = answer
        try:
            return super().handle(*args, **options)
        finally:
            del django_command.input

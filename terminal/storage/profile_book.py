"""The user's profiles in order, the last one used, and what went wrong reading them.

Every change returns a new book (immutable style); a book always holds at least one profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from terminal.storage.profile_model import Deployment, Environment, Profile, ProfileError, Region, Venue, name_key


@dataclass(frozen=True, slots=True)
class ProfileBook:
    """Profiles in the user's order.

    ``problems`` are sentences for the user about the file this book was loaded from (empty when
    all was well); a book returned by an edit carries none. ``keep_existing_file`` is set on the
    defaults returned for a file written by a newer version: saving such a book writes nothing,
    so the newer file survives until the user actually changes the profiles.
    """

    profiles: tuple[Profile, ...]
    last_used: str | None = None
    problems: list[str] = field(default_factory=list)
    keep_existing_file: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "profiles", tuple(self.profiles))
        if not self.profiles:
            raise ProfileError("There must be at least one profile")
        seen: dict[str, str] = {}
        for profile in self.profiles:
            if not isinstance(profile, Profile):
                raise ProfileError(f"A profile book holds profiles, not {type(profile).__name__}")
            key = name_key(profile.name)
            if key in seen:
                raise ProfileError(_duplicate(profile.name, seen[key]))
            seen[key] = profile.name
        if self.last_used is not None:
            object.__setattr__(self, "last_used", self.get(self.last_used).name)  # the name as spelled

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(profile.name for profile in self.profiles)

    @property
    def current(self) -> Profile:
        """The profile used last, or the first one."""
        return self.get(self.last_used) if self.last_used is not None else self.profiles[0]

    def find(self, name: str) -> Profile | None:
        key = name_key(name)
        return next((profile for profile in self.profiles if name_key(profile.name) == key), None)

    def get(self, name: str) -> Profile:
        profile = self.find(name)
        if profile is None:
            raise ProfileError(f'There is no profile named "{name}"')
        return profile

    def add(self, profile: Profile) -> ProfileBook:
        """A book with ``profile`` appended; its name must not be taken (ignoring case)."""
        existing = self.find(profile.name)
        if existing is not None:
            raise ProfileError(_duplicate(profile.name, existing.name))
        return self._edited((*self.profiles, profile), self.last_used)

    def update(self, profile: Profile) -> ProfileBook:
        """A book where the profile of the same name is replaced by ``profile``, in place (use ``rename`` to rename)."""
        index = self._index(profile.name)
        profiles = list(self.profiles)
        profiles[index] = profile
        return self._edited(tuple(profiles), self.last_used)

    def remove(self, name: str) -> ProfileBook:
        """A book without the named profile; the last profile cannot be removed."""
        index = self._index(name)
        if len(self.profiles) == 1:
            raise ProfileError(f'"{self.profiles[0].name}" is the only profile and cannot be removed')
        last_used = None if self.last_used == self.profiles[index].name else self.last_used
        return self._edited(self.profiles[:index] + self.profiles[index + 1 :], last_used)

    def rename(self, old: str, new: str) -> ProfileBook:
        """A book where profile ``old`` is called ``new`` (same place, same settings); last_used follows."""
        index = self._index(old)
        current = self.profiles[index]
        clash = self.find(new)
        if clash is not None and clash is not current:
            raise ProfileError(_duplicate(new, clash.name))
        renamed = replace(current, name=new)
        profiles = list(self.profiles)
        profiles[index] = renamed
        last_used = renamed.name if self.last_used == current.name else self.last_used
        return self._edited(tuple(profiles), last_used)

    def with_last_used(self, name: str) -> ProfileBook:
        """The same book remembering ``name`` as the last used profile (not an edit of the profiles)."""
        return replace(self, last_used=self.get(name).name)

    def _index(self, name: str) -> int:
        key = name_key(name)
        for index, profile in enumerate(self.profiles):
            if name_key(profile.name) == key:
                return index
        raise ProfileError(f'There is no profile named "{name}"')

    def _edited(self, profiles: tuple[Profile, ...], last_used: str | None) -> ProfileBook:
        return ProfileBook(profiles, last_used)


def _duplicate(name: str, existing: str) -> str:
    if name == existing:
        return f'A profile named "{name}" already exists'
    return f'A profile named "{existing}" already exists (names differ only in case: "{name}")'


def default_book() -> ProfileBook:
    """What a first start offers: the demo exchange, the four HashKey hosts, Deriv, Webull (Hong Kong
    and US production) and Longbridge (global), without keys or tokens.

    Deriv without a token shows its public market data (symbols, ticks, candles) with the public app id.
    Webull signs every request: its profiles connect once an app key and secret are entered.
    """
    hashkey = [
        (f"HashKey {region} {environment.value}", deployment, environment)
        for region, deployment in (("MENA", Deployment.PRO), ("Global", Deployment.GLOBAL))
        for environment in (Environment.SANDBOX, Environment.PRODUCTION)
    ]
    profiles = [Profile("Demo", Venue.DEMO)]
    profiles += [Profile(name, Venue.HASHKEY, deployment, environment) for name, deployment, environment in hashkey]
    profiles.append(Profile("Deriv", Venue.DERIV))
    profiles += [
        Profile(f"Webull {region.name}", Venue.WEBULL, environment=Environment.PRODUCTION, region=region)
        for region in (Region.HK, Region.US)
    ]
    profiles.append(Profile("Longbridge", Venue.LONGBRIDGE))
    return ProfileBook(tuple(profiles))

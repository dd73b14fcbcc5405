import factory

from ministries.models import Institution, Province, User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n:02d}")
    name_en = factory.Sequence(lambda n: f"Province {n}")
    name_id = factory.Sequence(lambda n: f"Provinsi {n}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"INST{n}")
    name_en = factory.Sequence(lambda n: f"Institution {n}")
    name_id = factory.Sequence(lambda n: f"Lembaga {n}")
    level = Institution.Level.NATIONAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.id")
    role = User.Role.FOCAL_POINT
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

"""factory_boy factories for reference data and people. Workflow state is built through the
services (tests/builders.py), never by writing statuses directly."""

import factory
from django.contrib.auth import get_user_model

from complaints.models import Category, Classification, Desa, Kecamatan
from disposition.models import OPD, ExternalInstitution, Role, StaffRole

PASSWORD = "kata-sandi-uji-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")
    kind = OPD.Kind.DINAS


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    role = Role.ADMIN_OPD
    opd = factory.SubFactory(OPDFactory)


class ClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classification
        django_get_or_create = ("code",)

    code = "pengaduan"
    name = "Pengaduan"
    lapor_id = 1


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


class KecamatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kecamatan
        django_get_or_create = ("code",)

    code = "331905"
    name = "Mejobo"


class DesaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desa
        django_get_or_create = ("code",)

    code = "3319052001"
    kecamatan = factory.SubFactory(KecamatanFactory)
    name = "Jepang"
    kind = Desa.Kind.DESA


class ExternalInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalInstitution
        django_get_or_create = ("lapor_id",)

    name = "Pemerintah Provinsi Jawa Tengah"
    level = ExternalInstitution.Level.PROVINSI
    lapor_id = 101

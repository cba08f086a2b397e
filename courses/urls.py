from django.urls import path

from courses import views, views_accounts

urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/<str:slug>/", views.cohort_detail, name="cohort"),
    path("cohorts/<str:slug>/live/", views.cohort_live, name="cohort-live"),
    path("cohorts/<str:slug>/join/<str:token>/", views_accounts.join, name="cohort-join"),
    path("cohorts/<str:slug>/dates/", views_accounts.set_dates, name="cohort-dates"),
    path("cohorts/<str:slug>/invite/rotate/", views_accounts.rotate_invite, name="cohort-rotate-invite"),
    path("accounts/login/", views_accounts.login, name="login"),
    path("accounts/logout/", views_accounts.logout, name="logout"),
]

import pytest
pytestmark = pytest.mark.django_db

def test_smoke(client, full_article, site_tree, reporter):
    for url in ["/", "/news/", "/news/flood-barrier-holds/", "/news/tag/floods/", "/staff/ada-byline/", "/news/feed/", "/news/feed/atom/", "/news/tag/floods/feed/", "/staff/ada-byline/feed/atom/", "/sitemap.xml", "/news-sitemap.xml", "/news/?tag=floods&author=ada-byline", "/staff/"]:
        r = client.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.content[:3000]
    print(client.get("/news/flood-barrier-holds/").content.decode())

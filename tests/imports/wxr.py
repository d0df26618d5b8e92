"""Small WordPress exports built in the test: any WXR version, http or https namespaces."""

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Comment:
    id: int
    content: str
    approved: str = "1"
    author: str = "A reader"
    email: str = "reader@example.org"
    date_gmt: str = "2024-03-02 10:00:00"
    parent: int = 0
    type: str = "comment"

    def xml(self) -> str:
        return (
            "<wp:comment>"
            f"<wp:comment_id>{self.id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(self.author)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email>"
            f"<wp:comment_date_gmt>{self.date_gmt}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(self.content)}</wp:comment_content>"
            f"<wp:comment_approved>{cdata(self.approved)}</wp:comment_approved>"
            f"<wp:comment_type>{cdata(self.type)}</wp:comment_type>"
            f"<wp:comment_parent>{self.parent}</wp:comment_parent>"
            "</wp:comment>"
        )


@dataclass
class Item:
    post_id: int
    title: str = "A story"
    content: str = "<!-- wp:paragraph -->\n<p>Story text.</p>\n<!-- /wp:paragraph -->"
    status: str = "publish"
    post_type: str = "post"
    name: str | None = None  # wp:post_name; defaults to one made from the id
    date: str = "2024-03-01 09:30:00"  # site-local time
    date_gmt: str = "2024-03-01 09:30:00"
    creator: str = "jdoe"
    excerpt: str = ""
    password: str = ""
    guid: str | None = None
    link: str | None = None
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    attachment_url: str = ""
    comment_status: str = "open"
    tag_domain: str = "post_tag"

    def xml(self) -> str:
        name = self.name if self.name is not None else f"story-{self.post_id}"
        guid = self.guid if self.guid is not None else f"https://old.example.com/?p={self.post_id}"
        link = self.link if self.link is not None else f"https://old.example.com/{name}/"
        parts = [
            "<item>",
            f"<title>{escape(self.title)}</title>" if self.title else "",
            f"<link>{escape(link)}</link>" if link else "",
            f'<guid isPermaLink="false">{escape(guid)}</guid>' if guid else "",
            f"<dc:creator>{cdata(self.creator)}</dc:creator>",
            f"<content:encoded>{cdata(self.content)}</content:encoded>",
            f"<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>",
            f"<wp:post_id>{self.post_id}</wp:post_id>",
            f"<wp:post_date>{cdata(self.date)}</wp:post_date>",
            f"<wp:post_date_gmt>{cdata(self.date_gmt)}</wp:post_date_gmt>",
            f"<wp:comment_status>{cdata(self.comment_status)}</wp:comment_status>",
            f"<wp:post_name>{cdata(name)}</wp:post_name>",
            f"<wp:status>{cdata(self.status)}</wp:status>",
            f"<wp:post_type>{cdata(self.post_type)}</wp:post_type>",
            f"<wp:post_password>{cdata(self.password)}</wp:post_password>",
        ]
        if self.attachment_url:
            parts.append(f"<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>")
        for nicename, label in self.categories:
            parts.append(
                f'<category domain="category" nicename="{nicename}">{cdata(label)}</category>'
            )
        for tag in self.tags:
            parts.append(
                f'<category domain="{self.tag_domain}" nicename="{tag.lower()}">{cdata(tag)}</category>'
            )
        for key, value in self.meta.items():
            parts.append(
                f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
                f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
            )
        parts += [comment.xml() for comment in self.comments]
        parts.append("</item>")
        return "".join(parts)


def export(
    items: list[Item],
    *,
    version: str = "1.2",
    scheme: str = "http",
    authors: list[tuple[str, str]] = (("jdoe", "Jane Doe"),),
    categories: list[tuple[str, str, str]] = (),  # (nicename, name, parent nicename)
    base: str = "https://old.example.com",
) -> str:
    ns = f"{scheme}://wordpress.org/export/{version}/"
    author_xml = "".join(
        f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
        f"<wp:author_description>{cdata('Writes about the city.')}</wp:author_description>"
        "</wp:author>"
        for login, name in (authors if version != "1.0" else ())
    )
    category_xml = "".join(
        f"<wp:category><wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        for nicename, name, parent in categories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0"'
        f' xmlns:excerpt="{ns}excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f' xmlns:wp="{ns}">\n'
        "<channel><title>Old Gazette</title>"
        f"<link>{base}</link>"
        f"<wp:wxr_version>{version}</wp:wxr_version>"
        f"<wp:base_blog_url>{base}</wp:base_blog_url>"
        f"{author_xml}{category_xml}" + "".join(item.xml() for item in items) + "</channel></rss>\n"
    )


def write(tmp_path: Path, items: list[Item], name: str = "export.xml", **options) -> Path:
    path = tmp_path / name
    path.write_text(export(items, **options), encoding="utf-8")
    return path

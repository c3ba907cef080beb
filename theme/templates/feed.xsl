<?xml version="1.0" encoding="utf-8"?>
{# Shows a feed (RSS or Atom) opened in a browser as a page in the site's
   look, in one language; written to /<lang>/feed.xsl. #}
{% set subscribe = by_key.get("pages/subscribe", {}).get(lang) %}
{% import "partials/feed_labels.html" as labels with context %}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:template match="/">
<html lang="{{ html_langs[lang] }}">
<head>
  <meta charset="utf-8"/>
  <meta name="viewport" content="width=device-width, initial-scale=1"/>
  <title><xsl:value-of select="/rss/channel/title|/atom:feed/atom:title"/></title>
  <link rel="stylesheet" href="{{ SITEURL }}/theme/css/site.css"/>
</head>
<body>
  <header class="site-header">
    <div class="site-header__inner">
      <a class="site-header__name" href="{{ SITEURL }}/{{ home_urls[lang] }}">{{ SITENAME }}</a>
    </div>
  </header>
  <main id="main" class="feed-preview">
    <p class="feed-preview__notice">{{ labels.preview_notice() }}{% if subscribe %} <a href="{{ SITEURL }}/{{ subscribe.url }}">{{ labels.how_to_follow() }}</a>{% endif %}</p>
    <h1><xsl:value-of select="/rss/channel/title|/atom:feed/atom:title"/></h1>
    <p><xsl:value-of select="/rss/channel/description|/atom:feed/atom:subtitle"/></p>
    <xsl:for-each select="/rss/channel/item|/atom:feed/atom:entry">
      <article class="news-card">
        <h2 class="news-card__title">
          <a href="{link|atom:link[@rel='alternate']/@href}"><xsl:value-of select="title|atom:title"/></a>
        </h2>
        <p class="news-card__meta">
          <xsl:choose>
            <xsl:when test="pubDate">
              <xsl:call-template name="date">
                <xsl:with-param name="day" select="substring(pubDate, 6, 2)"/>
                <xsl:with-param name="month" select="substring(pubDate, 9, 3)"/>
                <xsl:with-param name="year" select="substring(pubDate, 13, 4)"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="date">
                <xsl:with-param name="day" select="substring(atom:published, 9, 2)"/>
                <xsl:with-param name="month" select="substring(atom:published, 6, 2)"/>
                <xsl:with-param name="year" select="substring(atom:published, 1, 4)"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </p>
      </article>
    </xsl:for-each>
  </main>
</body>
</html>
</xsl:template>
{# A date in this language: the month is RFC 822's English abbreviation
   (RSS) or its number (Atom); the names come from CLDR through Babel. #}
<xsl:template name="date">
  <xsl:param name="day"/>
  <xsl:param name="month"/>
  <xsl:param name="year"/>
  <xsl:value-of select="number($day)"/>
  <xsl:text> </xsl:text>
  <xsl:choose>
  {% for month in month_dates %}
    <xsl:when test="$month = '{{ ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][loop.index0] }}' or $month = '{{ "%02d"|format(loop.index) }}'">{{ month|format_date("MMMM") }}</xsl:when>
  {% endfor %}
  </xsl:choose>
  <xsl:text> </xsl:text>
  <xsl:value-of select="$year"/>
</xsl:template>
</xsl:stylesheet>

import type { Course, Lesson, LessonHeading, Section } from '../model/course.js';
import { plainLabelKeys, type PlainLabelKey } from '../labels/catalogue.js';
import { authorLine, courseLabels, lessonCountLabel, minutesLabel, sectionLabel, sectionMinutes, sectionTotalLabel, totalsLabel } from './labels.js';
import { lessonPracticeView, sectionPracticeMinutes, type LessonPracticeView } from './practice-view.js';

/** How a medium addresses pages; each returns a path relative to the output root (or an in-book href). */
export interface ViewAddresses {
  home: string;
  section(section: Section): string;
  lesson(lesson: Lesson): string;
}

/** A lesson as templates see it: labels formatted once, here. */
export interface LessonView extends LessonPracticeView {
  id: string;
  number: number;
  title: string;
  summary: string;
  group: string;
  minutes: number;
  minutesLabel: string;
  /** "7 min read". */
  readingTimeLabel: string;
  computedMinutes: number;
  words: number;
  href: string;
  /** h2 and h3 headings, for tables of contents. */
  headings: Pick<LessonHeading, 'depth' | 'text' | 'id'>[];
  sectionNumber: number;
  sectionTitle: string;
  sectionLabel: string;
}

/** A lesson group with its lessons. */
export interface GroupView {
  title: string;
  lessons: LessonView[];
}

/** A download offered for a section or the course. */
export interface DownloadView {
  /** The format's name, as `--format` takes it. */
  kind: string;
  label: string;
  href: string;
}

/** A section as templates see it. */
export interface SectionView {
  number: number;
  /** "Section 4". */
  label: string;
  title: string;
  summary: string;
  lessonCountLabel: string;
  readingTimeLabel: string;
  /** "11 lessons · ~1.7 h reading". */
  totalLabel: string;
  minutes: number;
  /** The sum of its lessons' practice minutes (exercises and quizzes). */
  practiceMinutes: number;
  href: string;
  groups: GroupView[];
  lessons: LessonView[];
  firstLesson?: LessonView;
  /** "Start with 4.1", when the section has lessons. */
  startLabel: string;
  downloads: DownloadView[];
}

/** The course as templates see it. */
export interface CourseView {
  title: string;
  subtitle: string;
  authors: string[];
  authorLine: string;
  language: string;
  /** `ltr` or `rtl`, from the language's script. */
  direction: 'ltr' | 'rtl';
  /** Every label without parameters, in the course's language ("Contents", "On this page", …). */
  labels: Record<PlainLabelKey, string>;
  /** "No lessons match “{query}”." with `{query}` left for the search script to fill. */
  searchNoResults: string;
  description: string;
  identifier: string;
  href: string;
  sections: SectionView[];
  lessons: LessonView[];
  lessonCountLabel: string;
  readingTimeLabel: string;
  /** "11 lessons · ~1.7 h reading". */
  totalLabel: string;
  downloads: DownloadView[];
}

/**
 * Builds the view model every template reads: numbers and labels formatted once, in code.
 * @param course the checked course
 * @param addresses how the medium addresses pages
 * @param downloads the downloads of each section and of the course, by kind
 */
export function courseView(course: Course, addresses: ViewAddresses, downloads: { section(section: Section): DownloadView[]; course: DownloadView[] } = { section: () => [], course: [] }): CourseView {
  const lessonsById = new Map(course.sections.flatMap((section) => section.lessons.map((lesson) => [lesson.id, lesson] as const)));
  const labels = courseLabels(course);
  const sections = course.sections.map((section): SectionView => {
    const lessons = section.lessons.map(
      (lesson): LessonView => ({
        id: lesson.id,
        number: lesson.lessonNumber,
        title: lesson.title,
        summary: lesson.summary,
        group: lesson.group ?? '',
        minutes: lesson.minutes,
        minutesLabel: minutesLabel(labels, lesson.minutes),
        readingTimeLabel: labels.format('lessonReadingTime', { time: minutesLabel(labels, lesson.minutes) }),
        computedMinutes: lesson.computedMinutes,
        words: lesson.words,
        href: addresses.lesson(lesson),
        headings: lesson.headings.filter((h) => h.depth === 2 || h.depth === 3).map(({ depth, text, id }) => ({ depth, text, id })),
        sectionNumber: section.number,
        sectionTitle: section.title,
        sectionLabel: sectionLabel(labels, section),
        ...lessonPracticeView(labels, lesson, lessonsById, addresses.lesson),
      }),
    );
    const byPath = new Map(section.lessons.map((lesson, index) => [lesson.path, lessons[index]!]));
    const minutes = sectionMinutes(section);
    const view: SectionView = {
      number: section.number,
      label: sectionLabel(labels, section),
      title: section.title,
      summary: section.summary,
      lessonCountLabel: lessonCountLabel(labels, section.lessons.length),
      readingTimeLabel: labels.readingTime(minutes),
      totalLabel: sectionTotalLabel(labels, section),
      minutes,
      practiceMinutes: sectionPracticeMinutes(section),
      href: addresses.section(section),
      groups: section.groups.map((group) => ({ title: group.title, lessons: group.lessons.map((lesson) => byPath.get(lesson.path)!) })),
      lessons,
      startLabel: lessons[0] ? labels.format('startWith', { lesson: lessons[0].id }) : '',
      downloads: downloads.section(section),
    };
    if (lessons[0]) view.firstLesson = lessons[0];
    return view;
  });
  const lessons = sections.flatMap((section) => section.lessons);
  const totalMinutes = sections.reduce((sum, section) => sum + section.minutes, 0);
  return {
    title: course.config.title,
    subtitle: course.config.subtitle ?? '',
    authors: course.config.authors,
    authorLine: authorLine(labels, course.config.authors),
    language: course.config.language,
    direction: labels.direction,
    labels: Object.fromEntries(plainLabelKeys.map((key) => [key, labels.format(key)])) as Record<PlainLabelKey, string>,
    searchNoResults: labels.format('searchNoResults', { query: '{query}' }),
    description: course.config.description ?? '',
    identifier: course.config.identifier,
    href: addresses.home,
    sections,
    lessons,
    lessonCountLabel: lessonCountLabel(labels, lessons.length),
    readingTimeLabel: labels.readingTime(totalMinutes),
    totalLabel: totalsLabel(labels, lessons.length, totalMinutes),
    downloads: downloads.course,
  };
}

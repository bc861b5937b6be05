// Opens an ontology document with OWLAPI (Debian libowlapi-java) as a user's tool would, and
// prints what it found, one "key value" line each, for tests/test_owl_release.py to compare.
// Usage: java -cp CLASSPATH LoadOffline [--catalog CATALOG_XML] FILE...
// Each file gets a manager of its own (the release's files share their ontology IRI), and its
// report starts with a "file PATH" line.
//
// The manager and loader configuration are OWLAPI's defaults: a missing import throws
// (MissingImportHandlingStrategy.THROW_EXCEPTION), so nothing is skipped silently; any exception
// ends the program with a non-zero exit. With --catalog, the <uri name= uri=> entries of a
// Protege XML catalog map import IRIs to local files (relative to the catalog's folder), as
// Protege and ROBOT do: OWLAPI itself has no catalog reader.
import java.io.File;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLDeclarationAxiom;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class LoadOffline {
    static final String CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

    public static void main(String[] args) throws Exception {
        File catalog = args[0].equals("--catalog") ? new File(args[1]) : null;
        for (int i = catalog == null ? 0 : 2; i < args.length; i++) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            if (catalog != null) {
                mapCatalog(manager, catalog);
            }
            System.out.println("file " + args[i]);
            report(manager, manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[i]))));
        }
    }

    static void report(OWLOntologyManager manager, OWLOntology ontology) {
        System.out.println("ontology " + ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("-"));
        System.out.println("version " + ontology.getOntologyID().getVersionIRI().map(IRI::toString).orElse("-"));
        System.out.println("direct-imports " + ontology.directImportsDocuments().count());
        System.out.println("imports-closure " + ontology.importsClosure().count());
        System.out.println("classes " + declared(ontology, "Class"));
        System.out.println("object-properties " + declared(ontology, "ObjectProperty"));
        System.out.println("data-properties " + declared(ontology, "DataProperty"));
        System.out.println("annotation-properties " + declared(ontology, "AnnotationProperty"));
        System.out.println("individuals " + declared(ontology, "NamedIndividual"));
        System.out.println("logical-axioms " + ontology.getLogicalAxiomCount(Imports.INCLUDED));
        // Per document: triples the RDF parser could not turn into axioms, entities whose type it
        // had to guess, and how many ontology headers it met (two headers in one document make
        // OWLAPI pick one): each means the document is not the OWL it claims to be.
        for (OWLOntology o : (Iterable<OWLOntology>) ontology.importsClosure()::iterator) {
            Optional<OWLOntologyLoaderMetaData> meta = manager.getOntologyFormat(o).getOntologyLoaderMetaData();
            System.out.println("unparsed-triples " + meta.map(m -> m.getUnparsedTriples().count()).orElse(0L));
            System.out.println("guessed-types " + meta.map(m -> (long) m.getGuessedDeclarations().size()).orElse(0L));
            System.out.println("header " + meta.map(m -> m.getHeaderState().toString()).orElse("-"));
        }
    }

    /** Distinct entities of one kind declared in the ontology or its imports. */
    static long declared(OWLOntology ontology, String kind) {
        return ontology.axioms(AxiomType.DECLARATION, Imports.INCLUDED)
            .map(OWLDeclarationAxiom::getEntity)
            .filter(e -> e.getEntityType().getName().equals(kind))
            .distinct()
            .count();
    }

    static void mapCatalog(OWLOntologyManager manager, File catalog) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList entries = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS(CATALOG_NS, "uri");
        for (int k = 0; k < entries.getLength(); k++) {
            Element entry = (Element) entries.item(k);
            // A URI reference, resolved against the catalog's folder as XML catalogs are.
            java.net.URI local = catalog.getAbsoluteFile().getParentFile().toURI().resolve(entry.getAttribute("uri"));
            manager.getIRIMappers().add(new SimpleIRIMapper(IRI.create(entry.getAttribute("name")), IRI.create(local)));
        }
    }
}
